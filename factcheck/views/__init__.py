"""What the reading commands compute, as plain values for the renderers: the list's rows and filters, one
claim whole, the whole report."""
