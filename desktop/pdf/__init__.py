"""ReportLab builders: plain data in, PDF bytes out. Imports nothing of Qt."""
