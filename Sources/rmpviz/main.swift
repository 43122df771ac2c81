print("rmpviz")
