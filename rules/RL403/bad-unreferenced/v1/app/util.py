def helper(value):
    return round(value, 2)
