"""The open data part of the API (issue 7): published figures for anyone, read only."""
