// Grid, cells and widgets live here.
