"""The officer side: agencies and routing, accounts, the API, the dashboard, pushes."""
