module fwerror/pastefactory

go 1.19
