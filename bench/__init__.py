"""The benchmark: ours (one instance, two behind Redis), a bare broadcast server
and python-socketio, on one workload in one run. Run ``python -m bench --help``."""
