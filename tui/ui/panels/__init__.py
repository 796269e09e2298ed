"""The side panels: the search box with its results, the annotations list."""
