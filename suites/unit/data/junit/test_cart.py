def test_sums(record_property):
    record_property("verifies", "FR-001")
    assert 1 + 2 == 3

def test_empty(record_property):
    record_property("verifies", "FR-002")
    assert 0 == 0

def test_unmarked():
    assert True
