// placeholder: filled in by the AVIF / colour work
