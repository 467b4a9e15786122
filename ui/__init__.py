"""Streamlit helpers shared by the pages: cached data access, shared filters, downloads, charts.

The one layer that may import both streamlit and analytics (pages -> ui -> analytics).
"""
