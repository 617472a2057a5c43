"""The demo data: the fixture set's loading and expansion (`fixtures`, with the billing and
usage it generates) and the synthetic data sets of the benchmarks (`synthetic`)."""
