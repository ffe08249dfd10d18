"""server/channels"""
