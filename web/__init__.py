"""The web page for team managers and service leads: `workwell serve`."""
