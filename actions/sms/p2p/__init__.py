"""Peer-to-peer texting: conversations a volunteer holds, one tap per text."""
