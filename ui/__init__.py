"""Streamlit helpers shared by the pages: the page frame and its one error path (page), the pages'
declaration (navigation), cached data access (data), shared filters, tables and downloads under one set
of labels (labels), how values read (text), charts.

The one layer that may import both streamlit and analytics (pages -> ui -> analytics).
"""
