// Exports live here.
