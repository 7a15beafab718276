"""Complaint data for decisions: statistics, charts, hotspots, monthly reports and exports."""
