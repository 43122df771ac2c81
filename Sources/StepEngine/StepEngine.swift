// The engine lives here.
