"""After the award (namespace "grants")."""

urlpatterns = []
