"""The utility's side: the billing system's data in (importer.py, in the format of
records.py), a store's data out in the same format (exporter.py), and the readings
customers submit out to the billing system and confirmed by it (readings.py)."""
