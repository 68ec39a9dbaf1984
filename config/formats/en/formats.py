"""English dates as Hecha has always shown them: 2024-05-02, 2024-05-02 14:30."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
