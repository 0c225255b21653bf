"""The office's screens (工作台): dashboard, request list and request page, server-rendered in Chinese."""
