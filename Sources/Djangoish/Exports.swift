@_exported import SSGI
