"""Privacy: masks for personal values in copies that leave the team (udfs/privacy/masking.py)."""
