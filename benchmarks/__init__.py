"""The performance suite: every number is printed beside a baseline measured in the same run."""
