"""Importing CSV files: responses gathered elsewhere and admin-data counts. All or nothing."""
