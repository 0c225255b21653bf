"""Disclosure requests (依申请公开): applicants, requests and their typed event timelines."""
