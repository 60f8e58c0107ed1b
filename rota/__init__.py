"""The flexitime rota planner, in layers: ``domain`` (pure), ``solve`` (CP-SAT), ``io``
(workbooks, CSV, calendars), ``gaps``, the answers built on them (``requests``,
``replan``, ``plan_words``) and ``cli``. See ARCHITECTURE.md."""
