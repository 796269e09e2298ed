"""The reader: the Line API view of one article, its pane, its motions and its wrapping."""
