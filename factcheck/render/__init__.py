"""Renderers: functions from plain values to text, one module per output format."""
