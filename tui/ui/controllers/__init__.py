"""Helpers of the app that drive several widgets: coding, comparing coders, reading across articles, focus."""
