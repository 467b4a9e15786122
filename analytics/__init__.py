"""ICMA Affiliate Insights: everything that is not UI. Never imports streamlit."""
