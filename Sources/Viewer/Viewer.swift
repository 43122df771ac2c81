// The state reducer and renderer live here.
