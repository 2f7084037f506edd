"""What operators watch: Prometheus metrics moved where events happen, and a health check.

Rung 1 of the ladder: the layers above move the counters; only the composition root starts
the listener that serves them.
"""
