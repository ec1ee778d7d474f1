"""Reading errors out of screenshots: an optional OCR engine (`pip install "fwerror[ocr]"`).

Without the extra nothing here imports Pillow or the engine, and the bot reads text only.
"""
