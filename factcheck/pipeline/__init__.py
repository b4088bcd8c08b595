"""The read path: a ledger loaded whole or a chunk at a time, the content-keyed cache, the forked share of the
work, output spooled as it is made, and the cycle collector paused while it is built."""
