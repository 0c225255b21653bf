"""Agencies: the tree of governments, departments and towns that handle requests and publish reports."""
