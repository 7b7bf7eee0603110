def test_a_page_that_is_no_administrative_document_gets_a_warning_and_no_tasks():  # wild: Q&A pages
    from vbextract.ingest import txt
    from vbextract.pipeline import extract_raw

    qa = (
        "Hạn chót có hiệu lực của chứng minh nhân dân là vào ngày nào?\n\nVề vấn đề của anh, theo Điều 46 "
        "Luật Căn cước 2023, Bộ Công an chủ trì hướng dẫn việc cấp đổi.\n1. Ủy ban nhân dân cấp xã: phối hợp thực hiện.\n"
    )
    d = extract_raw(txt.read(qa.encode(), "qa.txt"), "qa.txt", qa.encode())
    assert (d.tasks, d.targets) == ([], [])
    assert [w.code for w in d.warnings] == ["W205"]
    plan = "KẾ HOẠCH\nSố: 12/KH-UBND\nThực hiện\nI. NHIỆM VỤ\n1. Sở Nội vụ chủ trì tổng hợp kết quả.\n"
    d = extract_raw(txt.read(plan.encode(), "kh.txt"), "kh.txt", plan.encode())
    assert len(d.tasks) == 1 and "W205" not in [w.code for w in d.warnings]
