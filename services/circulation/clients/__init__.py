"""Typed HTTP clients for the services circulation talks to."""
