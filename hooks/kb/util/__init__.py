"""Small helpers the commands share: quiet ends on a closed pipe (cli) and plain text of inline Markdown (text).
"""
