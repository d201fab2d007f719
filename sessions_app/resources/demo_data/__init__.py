"""Demo media and the scripts that make them (committed results; seed_demo reads them)."""
