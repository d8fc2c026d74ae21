"""Django glue around cercle.engine: arrays from profiles (as privacy allows), suggestions, reasons in words."""
