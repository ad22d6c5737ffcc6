"""The local stack: real emulators and servers started in the background for demos and tests."""
