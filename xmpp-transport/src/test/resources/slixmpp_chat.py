"""A slixmpp client for Fluxmpp's interop test: logs in with the SASL mechanism it is told to use, sends one
message to a peer, and exits 0 once the peer's answer arrives (1 on failure or timeout).

usage: slixmpp_chat.py JID PASSWORD PEER_JID HOST PORT CA_FILE MECHANISM [starttls|direct]
"""
import asyncio
import logging
import sys

import slixmpp

jid, password, peer, host, port, cafile, mechanism = sys.argv[1:8]
direct_tls = len(sys.argv) > 8 and sys.argv[8] == 'direct'


class Client(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(jid, password, sasl_mech=mechanism)
        self.ok = False
        self.ca_certs = cafile
        self.add_event_handler('session_start', self.on_start)
        self.add_event_handler('message', self.on_message)
        self.add_event_handler('failed_auth', self.on_failure)

    async def on_start(self, event):
        mech = self['feature_mechanisms'].mech
        print('MECHANISM', mech.name if mech else None, flush=True)
        print('BOUND', self.boundjid.full, flush=True)
        self.send_message(mto=peer, mbody='hello from slixmpp', mtype='chat')

    def on_message(self, msg):
        print('RECEIVED', msg['from'].full, msg['body'], flush=True)
        echoed = msg['from'] == self.boundjid and msg['body'] == 'hello from slixmpp'
        if msg['body'] == 'hello slixmpp' or echoed:
            self.ok = True
            self.disconnect()

    def on_failure(self, event):
        print('AUTH FAILED', event, flush=True)
        self.disconnect()


logging.basicConfig(level=logging.WARNING)
client = Client()
if direct_tls:
    # XEP-0368: TLS from the first byte, no STARTTLS.
    client.connect(address=(host, int(port)), use_ssl=True, disable_starttls=True)
else:
    client.connect(address=(host, int(port)), force_starttls=True, disable_starttls=False)
loop = asyncio.get_event_loop()
try:
    loop.run_until_complete(asyncio.wait_for(client.disconnected, 30))
except asyncio.TimeoutError:
    print('TIMEOUT', flush=True)
sys.exit(0 if client.ok else 1)
