module motcua

go 1.26
