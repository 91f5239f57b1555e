"""MongoDB adapters: the only package that imports pymongo."""
