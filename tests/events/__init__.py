"""Tests of the events domain."""
