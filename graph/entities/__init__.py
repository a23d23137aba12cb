"""What documents tell in prose beyond their citations: congresses (``congresses``), the bodies
an operative paragraph asks to act (``addressees``), the life of committee drafts and the
regional recommendations behind a congress (``prose``). Read from documents, never from files.
"""
