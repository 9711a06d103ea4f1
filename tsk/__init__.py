"""TSK-dashboard: the domain package (store, importers, statistics, figures and maps)."""
