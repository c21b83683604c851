-- A module for require(): filters may share code from content/filters/.
return { value = 42 }
