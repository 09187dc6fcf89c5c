"""URLs of pcm.attachments (included at the root: each pattern carries its full prefix).

Only opaque ids appear in them: never a title or a file name.
"""

from __future__ import annotations

from django.urls import path

from pcm.attachments import views

app_name = "attachments"

urlpatterns = [
    path("cases/<uuid:public_id>/attachments/new/", views.upload, name="upload"),
    path("attachments/<uuid:public_id>/download/", views.download, name="download"),
    path("attachments/<uuid:public_id>/delete/", views.delete, name="delete"),
]
