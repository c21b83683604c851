-- medarbetare.lua — staff: no facilitator notes.
local vanliga = require("vanliga")
return { Div = vanliga.drop_facilitator_notes }
