"""Attachments of a case: scanned consent forms, documents and photos, stored encrypted."""
