"""Cover gaps in a written rota: finding them, fitting the rules to a rota, and the
report and heatmap for service leads."""
